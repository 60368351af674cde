"""A student's Jupyter server: `jupyterhub-singleuser`, without jsonschema's optional IRI syntax checker.

Every Jupyter server imports jupyter_events, which needs jsonschema with its format checkers; when the
optional `rfc3987_syntax` is installed (jsonschema[format-nongpl] brings it), jsonschema builds that
package's Lark grammar on import: 15 MB of unique memory and ~2 s of CPU in every student's server
(measured side by side: 103 -> 87 MB, start CPU 3.5 -> 1.6 s), to check the "iri" format that no
Jupyter event schema uses. Blocked here, jsonschema goes on without that one format, as it does when the
package is not installed ("uri" is still checked, by rfc3986-validator).
hub/jupyterhub_config.py runs it as the spawner's command; it takes jupyterhub-singleuser's arguments.
"""

import sys

sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  (its import now raises ImportError)

from jupyterhub.singleuser import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
