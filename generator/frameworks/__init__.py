"""Frameworks, standards and laws the procedure answers to.

* :mod:`.data`: the frozen records: a framework file (``frameworks/<id>.yaml``) and its
  entries, the EU AI Act obligations of the policy, a tool's classification under the Act.
* :mod:`.obligations`: which obligations apply to a tool, from when, and whether they are met.
* :mod:`.coverage`: each framework entry's state per tool, drawn from the states of the steps
  and obligations mapped to it, so an entry is never shown as met on stale evidence.
* :mod:`.pages` and :mod:`.exports`: the framework and EU AI Act pages, the tool page's rows,
  ``frameworks-coverage.csv`` and the parts of ``registry.json``.
* :mod:`.cyclonedx`: the registry, the procedure and the attestations as CycloneDX 1.6, and
  the check the build runs on it.

Validation of framework files and mappings is :mod:`generator.validate.frameworks`; the
``ai-act-obligation-missing`` findings are :mod:`generator.checks.ai_act`.
"""
