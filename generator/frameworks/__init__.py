"""Frameworks, standards and laws the procedure answers to.

* :mod:`.data`: the frozen records: a framework file (``frameworks/<id>.yaml``) and its
  entries, the EU AI Act obligations of the policy, a tool's classification under the Act.
* :mod:`.obligations`: which obligations apply to a tool, from when, and whether they are met.
* :mod:`.coverage`: each framework entry's state per tool, drawn from the states of the steps
  and obligations mapped to it, so an entry is never shown as met on stale evidence.
* :mod:`.cyclonedx`: the registry, the procedure and the attestations as CycloneDX 1.6.
"""
