"""Keep Python's compiled code between test runs, even where the shell turns it off.

With PYTHONDONTWRITEBYTECODE set (as in many containers) every pytest process
rewrites the assertions of every test module again, about 4 s of CPU a
process (`-n 2` starts three), and every `reflect` a test starts compiles the
package again, about 0.3 s each. The compiled code goes to one folder of the
test cache instead of beside the sources, so the tree stays as the setting
asked; this package is imported before conftest.py, so that is kept too.
"""

import os
import sys
from pathlib import Path

if sys.dont_write_bytecode:
    BYTECODE = Path(__file__).resolve().parent.parent / ".pytest_cache" / "bytecode"
    sys.pycache_prefix = str(BYTECODE)
    sys.dont_write_bytecode = False
    os.environ["PYTHONPYCACHEPREFIX"] = str(BYTECODE)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
