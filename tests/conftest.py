import sys
from pathlib import Path

# Plugins import each other by package name, as Pelican loads them.
PLUGINS = Path(__file__).resolve().parent.parent / "plugins"
if str(PLUGINS) not in sys.path:
    sys.path.insert(0, str(PLUGINS))
