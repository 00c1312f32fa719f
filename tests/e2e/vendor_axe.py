"""Fetch axe-core for the accessibility browser tests: `python tests/e2e/vendor_axe.py`.

Downloads one pinned axe-core release from the npm registry, checks the tarball against the
registry's published sha512 integrity, and extracts ``axe.min.js`` with its licences (MPL-2.0,
plus the third-party notices of the code it bundles) into ``.cache/axe-core-<version>/``
(git-ignored). The site never ships it: tests inject it into the page they check.

Nox's ``tests`` session runs this before pytest, so the README's test command fetches it; the
tests themselves never touch the network. Quick and silent when the files are already there.
Python's standard library only. To move to another release, take its ``dist.integrity`` from
the registry metadata (``npm view axe-core@X.Y.Z dist.integrity``) and change both pins.
"""

from __future__ import annotations

import base64
import hashlib
import io
import sys
import tarfile
import urllib.error
import urllib.request
from pathlib import Path

VERSION = "4.14.1"
#: The registry's dist.integrity of that release's tarball (Subresource Integrity form).
INTEGRITY = (
    "sha512-"
    "FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
)
TARBALL = f"https://registry.npmjs.org/axe-core/-/axe-core-{VERSION}.tgz"
REPO = Path(__file__).resolve().parents[2]
FOLDER = REPO / ".cache" / f"axe-core-{VERSION}"
SCRIPT = FOLDER / "axe.min.js"
#: Members of the tarball (under ``package/``) that are kept; the script is written last, so
#: its presence means the whole set is there.
FILES = ("LICENSE", "LICENSE-3RD-PARTY.txt", "axe.min.js")


class VendorError(Exception):
    pass


def download(url: str = TARBALL, timeout: float = 60) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return bytes(response.read())
    except (urllib.error.URLError, OSError) as exc:
        raise VendorError(f"cannot download {url}: {exc}") from None


def verify(data: bytes, integrity: str = INTEGRITY) -> None:
    algorithm, _, expected = integrity.partition("-")
    if algorithm != "sha512":
        raise VendorError(f"unsupported integrity algorithm {algorithm!r}")
    actual = base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")
    if actual != expected:
        raise VendorError(
            f"integrity mismatch for {TARBALL}: expected sha512-{expected}, got sha512-{actual}"
        )


def extract(data: bytes, folder: Path = FOLDER) -> None:
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            contents: dict[str, bytes] = {}
            for name in FILES:
                member = tar.extractfile(f"package/{name}")
                if member is None:
                    raise VendorError(f"package/{name} in the tarball is not a file")
                contents[name] = member.read()
    except (tarfile.TarError, KeyError) as exc:
        raise VendorError(f"unexpected tarball {TARBALL}: {exc}") from None
    folder.mkdir(parents=True, exist_ok=True)
    for name in FILES:  # each written whole, then renamed: never a half-written file
        partial = folder / f".{name}.part"
        partial.write_bytes(contents[name])
        partial.replace(folder / name)


def vendor() -> Path:
    """``axe.min.js`` of the pinned release, downloading it if it is not there yet."""
    if not SCRIPT.is_file():
        data = download()
        verify(data)
        extract(data)
        print(f"vendor_axe: axe-core {VERSION} in {FOLDER.relative_to(REPO)}")
    return SCRIPT


def main() -> int:
    try:
        vendor()
    except VendorError as exc:
        print(f"vendor_axe: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
