"""Every rule id the handbook can report: default severity, what it means, how to fix it.

The site renders this table as its rules reference, and every message links to its row, so a
rule id, once published, never changes meaning.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.diagnostics import Severity

E, W, N = Severity.ERROR, Severity.WARNING, Severity.NOTE


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    stage: str
    summary: str
    fix: str


_RULES = [
    # load
    Rule("file-unreadable", E, "load", "A file could not be read.", "Check its permissions."),
    Rule("file-encoding", E, "load", "A file is not UTF-8 text.", "Save it as UTF-8."),
    Rule(
        "file-symlink",
        E,
        "load",
        "A file or folder of the handbook is a symbolic link. Links are never followed, so nothing behind one is read or published.",
        "Replace the link with the file or folder itself.",
    ),
    Rule(
        "file-too-large",
        E,
        "load",
        "A page, asset or other file is larger than the handbook reads (1 MB for text, 10 MB for an asset).",
        "Make it smaller, or keep it outside the repository and link to it.",
    ),
    Rule(
        "yaml-syntax",
        E,
        "load",
        "The YAML cannot be parsed.",
        "Fix indentation, colons or quotes at the line given.",
    ),
    Rule(
        "yaml-empty",
        E,
        "load",
        "A YAML file has no content.",
        "Fill it in from an example, or delete it.",
    ),
    Rule(
        "yaml-multiple-documents",
        E,
        "load",
        "A YAML file holds more than one document.",
        "Keep one document per file; remove the extra '---'.",
    ),
    Rule(
        "yaml-duplicate-key",
        E,
        "load",
        "A key appears twice in one mapping; YAML would silently keep only the last.",
        "Keep one of the two entries.",
    ),
    Rule(
        "yaml-key-type",
        E,
        "load",
        "A mapping key is a number, date or boolean rather than text.",
        "Quote the key.",
    ),
    Rule(
        "yaml-unsafe-tag",
        E,
        "load",
        "A YAML tag such as !!python/object is used; only plain values are allowed.",
        "Remove the tag.",
    ),
    Rule(
        "yaml-too-large",
        E,
        "load",
        "A file is too large, too deeply nested, or its aliases expand too far.",
        "Split or flatten it; write values out instead of nesting aliases.",
    ),
    Rule(
        "schema-comment",
        W,
        "load",
        "A YAML file lacks the '# yaml-language-server: $schema=' first line that lets editors check it as you type.",
        "Add the line shown in the message as the first line.",
    ),
    Rule(
        "file-unexpected",
        W,
        "load",
        "A file in registry/ or content/ is not one the handbook reads.",
        "Move or rename it (YAML files end in .yaml), or delete it.",
    ),
    # validate: schema
    Rule(
        "schema",
        E,
        "validate",
        "A value does not match the JSON Schema for its kind of file.",
        "Follow the message and the hint; the schemas in schemas/ describe every field.",
    ),
    Rule(
        "schema-unknown-key",
        E,
        "validate",
        "A key is not part of the schema (often a typo).",
        "Rename it as suggested, or remove it.",
    ),
    Rule(
        "schema-required",
        E,
        "validate",
        "A required key is missing.",
        "Add the key named in the message.",
    ),
    # validate: cross-field and cross-file
    Rule(
        "file-name",
        E,
        "validate",
        "The name of a tool, vendor, phase or page file is not an id (lower-case ASCII letters, digits and hyphens, 1-64 characters). File names become ids and web addresses, so they are checked before anything else.",
        "Rename the file as the hint suggests (for a tool or vendor, to its id).",
    ),
    Rule(
        "id-reserved",
        E,
        "validate",
        "An id or page name is one the site uses for itself: a tool or vendor 'index' (the registry's own page), a page named after a generated page, folder or file (dashboard, rules, exports, which-tools, tools, vendors, procedure, assets, registry, due-dates, search, sitemap, 404), a step 'faq', or an asset named like the handbook's own. It would replace that page or make its address ambiguous. The pages index, propose and report-inaccuracy may be written by hand.",
        "Choose another id or name (and rename the file to match).",
    ),
    Rule(
        "placeholder-left",
        W,
        "validate",
        "A value is still a placeholder that `handbook new-tool` or `new-vendor` wrote: text starting with TODO, the address replace-me@example.com, or a link under https://example.com/replace-me/. A warning, so a forgotten scaffold fails `handbook validate --strict` and the build.",
        "Replace it with the real value.",
    ),
    Rule(
        "id-mismatch",
        E,
        "validate",
        "An entry's id differs from its file name.",
        "Rename the file or change the id so that they match.",
    ),
    Rule(
        "id-duplicate",
        E,
        "validate",
        "Two entries share an id, or ids that differ only by case or look-alike characters.",
        "Give each entry a distinct id.",
    ),
    Rule(
        "name-duplicate",
        W,
        "validate",
        "Two tools or vendors share a name, or a tool's alias is another tool's name or alias (ignoring case, spacing and look-alike characters).",
        "Make the names distinct, or merge the entries.",
    ),
    Rule(
        "ref-unknown-vendor",
        E,
        "validate",
        "A tool names a vendor that has no file in registry/vendors/.",
        "Fix the vendor id, or add the vendor with `handbook new-vendor`.",
    ),
    Rule(
        "vendor-incomplete",
        E,
        "validate",
        "A tool has left `proposed`, but its vendor's file lacks the website, trust page or privacy policy that vendor due diligence reads.",
        "Add website, trust_page and privacy_policy to the vendor's file.",
    ),
    Rule(
        "ref-unknown-certification",
        E,
        "validate",
        "Vendor due diligence cites a certification id the vendor does not list.",
        "Use an id from the vendor's certifications, or add the certification to the vendor.",
    ),
    Rule(
        "ref-unknown-step",
        E,
        "validate",
        "The policy or guidance names a procedure step that does not exist.",
        "Use a step id from content/procedure/.",
    ),
    Rule(
        "ref-unknown-field",
        E,
        "validate",
        "A procedure step names an evidence field that the tool schema does not define.",
        "Use a dotted path of schemas/tool.schema.json, e.g. evidence.privacy_audit.",
    ),
    Rule(
        "policy-range",
        E,
        "validate",
        "A range in the policy is empty: benchmark_tasks.min is above benchmark_tasks.max.",
        "Make min at most max (the procedure's benchmark is 20-50 tasks).",
    ),
    Rule(
        "regex-invalid",
        E,
        "validate",
        "A regular expression in the policy (links.exclude) is not valid.",
        "Fix the pattern (Python syntax); escape a literal dot as '\\.'.",
    ),
    Rule(
        "ref-unknown-rule",
        E,
        "validate",
        "An exception names a rule id that does not exist.",
        "Use an id from the rules reference.",
    ),
    Rule(
        "date-order",
        E,
        "validate",
        "Two dates are out of order (an end before its start, an expiry before its issue).",
        "Correct whichever date is wrong.",
    ),
    Rule(
        "date-future",
        E,
        "validate",
        "A record of something done is dated after the check date.",
        "Record evidence once it exists, with the date it happened.",
    ),
    Rule(
        "pilot-too-short",
        E,
        "validate",
        "The pilot is shorter than the policy's minimum (14 days by default).",
        "Extend the pilot, or correct its dates.",
    ),
    Rule(
        "benchmark-size",
        E,
        "validate",
        "The benchmark ran fewer or more tasks than the policy's range (20-50 by default).",
        "Run a benchmark within the range and record it.",
    ),
    Rule(
        "evidence-missing",
        E,
        "validate",
        "The tool's status requires evidence for a step that is not recorded.",
        "Record the evidence, or move the tool back to an earlier status.",
    ),
    Rule(
        "personal-data-unsafe",
        E,
        "validate",
        "Personal data is allowed without a passing privacy audit that permits it on an enterprise instance that does not train on our data.",
        "Remove 'personal' from data.allowed, or complete the privacy audit.",
    ),
    Rule(
        "personal-license",
        E,
        "validate",
        "A personal or free account is recorded for a tool in use; company work needs an enterprise or team license.",
        "Obtain an enterprise license, or keep the tool out of use.",
    ),
    Rule(
        "review-failed",
        E,
        "validate",
        "A tool in use relies on a review whose result is 'fail'.",
        "Repeat the review, or move the tool to rejected or deprecated.",
    ),
    Rule(
        "sandbox-not-isolated",
        E,
        "validate",
        "The sandbox is not isolated from production.",
        "Isolate the sandbox, then record isolated_from_production: true.",
    ),
    Rule(
        "offboarding-incomplete",
        E,
        "validate",
        "An offboarded tool's record does not show keys revoked, data wiped and a completion date.",
        "Finish offboarding, or set the status back to deprecated.",
    ),
    Rule(
        "secret-in-data",
        E,
        "validate",
        "A value looks like a credential (an API key or token).",
        "Remove it, revoke it at the vendor, and store a reference (vault://...) instead.",
    ),
    Rule(
        "exception-invalid",
        E,
        "validate",
        "An exception has no approver or runs longer than the policy allows.",
        "Name an approver and keep 'until' within the policy's maximum.",
    ),
    Rule(
        "html-removed",
        W,
        "validate",
        "A page or a Markdown field holds markup the site removes when it publishes it: a script, an event handler, a frame, a form, a style, a link or image to a scheme other than http(s) and mailto, or another element or attribute outside the allowed set.",
        "Remove it or write it in Markdown. Pages may use text formatting, lists, tables, code, links, the site's own images and static SVG shapes.",
    ),
    Rule(
        "asset-refused",
        E,
        "validate",
        "A file in content/assets/ would be published as it is and could run or load something: an HTML page, a script or another active kind of file, an SVG image with a script, an event handler, foreign content or outside links, or a style sheet that imports or loads from another host.",
        "Publish images (PNG, JPEG, WebP, plain SVG), fonts, PDF and text only; keep style sheets to the site's own files.",
    ),
    Rule(
        "markdown-too-complex",
        E,
        "validate",
        "A page or Markdown field takes more than 5 seconds to render: Markdown's parser slows down badly on long runs of brackets, asterisks or backticks. It is not published.",
        "Find the long run of [ ] * _ or ` characters; put such text in a code block.",
    ),
    Rule(
        "site-config",
        E,
        "validate",
        "mkdocs.yml sets something the handbook does not pass to MkDocs: code (hooks, plugins, unknown extensions, Python tags), a file outside the site, a script, something loaded from another host, or text the theme would print as HTML.",
        "Remove the setting; the README lists what mkdocs.yml may set.",
    ),
    Rule(
        "codeowners-stale",
        E,
        "validate",
        "The committed .github/CODEOWNERS no longer matches the registry's owners, so reviews go to the wrong people.",
        "Run `handbook codeowners` and commit the result.",
    ),
    # check: staleness (generator/checks/expiry.py). Due on day D: warning from D minus the
    # policy's warning_days up to and including D ("due today"); error from D + 1.
    Rule(
        "cert-expired",
        E,
        "check",
        "A certificate relied on has expired, or a SOC 2 report is older than the policy's freshness window (and no bridge letter covers it).",
        "Obtain the renewed certificate or new report, add it to the vendor, and cite it in the tools' vendor due diligence.",
    ),
    Rule(
        "cert-expiring",
        W,
        "check",
        "A certificate or SOC 2 report relied on stops being current within the policy's warning window.",
        "Ask the vendor for the renewal or a bridge letter now.",
    ),
    Rule(
        "cert-type-insufficient",
        W,
        "check",
        "A tool relies on a SOC 2 Type I report where the policy requires a SOC 2 Type II.",
        "Obtain the vendor's Type II report, or cite a current certification of a required type.",
    ),
    Rule(
        "cert-none-current",
        E,
        "check",
        "A tool in pilot, approved or restricted status relies on a vendor with no current certification of a type the policy requires.",
        "Record the vendor's current certificate or report, or take the tool out of use.",
    ),
    Rule(
        "output-audit-overdue",
        E,
        "check",
        "The monthly output audit (last audit plus the policy's cadence) is overdue.",
        "Audit a sample of output for drift and record it in evidence.output_audits.",
    ),
    Rule(
        "output-audit-due",
        W,
        "check",
        "The next output audit falls due within the policy's warning window.",
        "Schedule the audit.",
    ),
    Rule(
        "access-review-overdue",
        E,
        "check",
        "The periodic access review (last review plus the policy's cadence) is overdue.",
        "Review who has access and update evidence.access_control.last_review.",
    ),
    Rule(
        "access-review-due",
        W,
        "check",
        "The next access review falls due within the policy's warning window.",
        "Schedule the review.",
    ),
    Rule(
        "vendor-review-overdue",
        E,
        "check",
        "The review of the vendor's policies and terms (last review plus the policy's cadence) is overdue.",
        "Review the vendor's privacy policy and terms, and record it in evidence.vendor_review.",
    ),
    Rule(
        "vendor-review-due",
        W,
        "check",
        "The next vendor review falls due within the policy's warning window.",
        "Schedule the review.",
    ),
    Rule(
        "compliance-review-overdue",
        E,
        "check",
        "The compliance review (last review plus the policy's cadence) is overdue.",
        "Repeat the compliance review and record it in evidence.compliance_review.",
    ),
    Rule(
        "compliance-review-due",
        W,
        "check",
        "The next compliance review falls due within the policy's warning window.",
        "Schedule the review.",
    ),
    Rule(
        "pilot-undecided",
        E,
        "check",
        "A pilot has reached its end date with its outcome still pending (a warning shortly before).",
        "Set the pilot's outcome to adopt, extend (with a new end) or reject, and update the status.",
    ),
    Rule(
        "stage-overdue",
        E,
        "check",
        "A tool has stayed in sandbox or pilot longer than the policy allows (a warning shortly before).",
        "Move the tool on, back, or to rejected, and update status.since.",
    ),
    Rule(
        "offboarding-overdue",
        E,
        "check",
        "A deprecated tool is not fully offboarded (keys revoked, data wiped, completed) by the policy's deadline (a warning shortly before).",
        "Finish offboarding and record it in evidence.offboarding.",
    ),
    Rule(
        "exception-expired",
        W,
        "check",
        "An approved exception has run out: the finding it covered is reported at full severity again.",
        "Fix the finding, renew the exception with a new approval, or delete the expired exception.",
    ),
    Rule(
        "exception-expiring",
        W,
        "check",
        "An exception that still covers a finding runs out within the policy's warning window.",
        "Fix the finding before then, or ask for a renewed exception.",
    ),
]

_RULES += [
    # links
    Rule(
        "link-broken",
        E,
        "links",
        "A link leads nowhere: 404/410 or another client error, an unknown host, a refused connection, a redirect loop, a server error that persists, or (in the built site) a missing page.",
        "Fix or remove the link; if the page moved, link to its new address.",
    ),
    Rule(
        "anchor-missing",
        E,
        "links",
        "A link's #fragment names no id (or <a name>) on the page it points to.",
        "Link to an existing heading id, or drop the '#...' part.",
    ),
    Rule(
        "anchor-duplicate",
        E,
        "validate",
        "Two things on one page of the site have the same id (two guidance entries, a step and a section of the page, two headings given the same id): every link to it lands on the first. Ids the page's template uses itself (such as faq) are taken.",
        "Give each one its own id.",
    ),
    Rule(
        "anchor-unchecked",
        N,
        "links",
        "A link's #fragment is not in the part of the page the checker reads (the first MiB).",
        "Check the anchor by hand, or link to the page without it.",
    ),
    Rule(
        "link-redirected",
        N,
        "links",
        "A link redirects permanently (301/308); it works, through a detour that may end.",
        "Link to the final address given in the message.",
    ),
    Rule(
        "link-rate-limited",
        W,
        "links",
        "A server kept answering 429 Too Many Requests, or its host asked for a longer wait (Retry-After) than one run allows, so the link could not be checked this run.",
        "Nothing, usually: the next run tries again. Check it by hand if it persists.",
    ),
    Rule(
        "link-blocked",
        W,
        "links",
        "A server answered 401 or 403: often bot protection rather than a dead page.",
        "Open it in a browser; if it works, add the status to links.accept_status or the URL to links.exclude in the policy.",
    ),
    Rule(
        "link-timeout",
        W,
        "links",
        "A server did not answer within links.timeout_seconds, even after retries.",
        "Nothing, usually: the next run tries again. Check the site if it persists.",
    ),
    Rule(
        "link-private",
        W,
        "links",
        "A link (or a redirect it leads to) points to a loopback, private, link-local or cloud metadata address, which readers cannot reach; it was not requested. --allow-private allows loopback and private addresses, never link-local or metadata ones.",
        "Link to a public address.",
    ),
    Rule(
        "mailto-invalid",
        E,
        "links",
        "A mailto: link names no valid e-mail address.",
        "Write it as mailto:name@example.com.",
    ),
    # import: an inventory spreadsheet
    Rule(
        "import-column-missing",
        E,
        "import",
        "The import mapping names a column the spreadsheet's header row does not have, or filters on a field no column is mapped to.",
        "Correct the column name in the mapping (case and spacing do not matter), or pick the right header_row or sheet.",
    ),
    Rule(
        "import-mapping",
        E,
        "import",
        "The import mapping contradicts itself: a names.products entry maps to a spelling that is mapped again, or to a placeholder; near_miss_at above merge_at.",
        "Map every spelling straight to the product's name; keep near_miss_at below merge_at.",
    ),
    Rule(
        "import-vendor",
        W,
        "import",
        "The rows of one product name different vendors, or a vendor the catalogue of AI services does not give it; the most common vendor of the rows is used.",
        "Correct the vendor cells, or split the product with names.products in the mapping.",
    ),
    Rule(
        "import-cell",
        W,
        "import",
        "A cell holds a control character; it is left out of the import.",
        "Retype the cell without the invisible character.",
    ),
    Rule(
        "import-formula",
        W,
        "import",
        "A cell holds a formula. Formulas are never evaluated: in a workbook the value last saved with it is read (a note); a formula with no saved value, or one in a CSV file, is left out.",
        "Type the value itself into the cell.",
    ),
    Rule(
        "import-merged-cells",
        W,
        "import",
        "Cells are merged: only the first holds the value, so the other rows of the range read as empty.",
        "Unmerge the cells and fill the value into each row it belongs to.",
    ),
    Rule(
        "import-value",
        W,
        "import",
        "A cell does not hold what its column should (yes/no, a number or range, a date, a data class); the value is left out.",
        "Correct the cell, or add the spelling to the mapping's recode table.",
    ),
    # reconcile: what is really in use
    Rule(
        "reconcile-input",
        W,
        "reconcile",
        "A line of a usage input (an export or a log) cannot be read; it is left out.",
        "Check the file was exported whole and in the format it claims.",
    ),
    Rule(
        "shadow-ai",
        E,
        "reconcile",
        "An AI service is in use (an identity-provider app, a card payment, proxy or DNS traffic) but has no registry entry.",
        "Propose it (handbook new-tool or handbook import) or block it; if it is registered under another name, add the name or host to the tool's aliases or domains.",
    ),
    Rule(
        "use-of-rejected",
        E,
        "reconcile",
        "A tool the registry rejected is in use.",
        "Stop the use (block the host, remove the app), or reopen the proposal.",
    ),
    Rule(
        "use-of-offboarded",
        E,
        "reconcile",
        "A tool that is offboarded is still in use (a warning while it is deprecated and being offboarded).",
        "Finish offboarding: revoke access and keys, move users to the successor.",
    ),
    Rule(
        "personal-account",
        E,
        "reconcile",
        "A tool the registry approves as an enterprise or team tier is paid for on a card or expense claim, or used through a consumer plan or consumer-only host: a personal account.",
        "Move the people to the company account and end the personal subscription.",
    ),
    Rule(
        "unknown-spelling",
        W,
        "reconcile",
        "A use was matched only by a guess: a name similar to a tool's or a catalogue service's, or a card line naming only a service's or vendor's name. It is counted for no product until confirmed.",
        "Confirm it and add the name (or the statement words) to the tool's aliases or a catalogue file, or register the product it names.",
    ),
    # build: the site
    Rule(
        "site-build",
        E,
        "build",
        "MkDocs reported a problem while building the site; the build is strict, so any warning fails it.",
        "Read the message: usually a link in content/pages/ to a page or file that does not exist.",
    ),
]

RULES: dict[str, Rule] = {r.id: r for r in _RULES}


def rule(rule_id: str) -> Rule:
    return RULES[rule_id]
