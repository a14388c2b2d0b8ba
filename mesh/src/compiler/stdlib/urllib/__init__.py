"""urllib for nanolambda functions: the package of urllib.parse."""

import urllib.parse as parse
