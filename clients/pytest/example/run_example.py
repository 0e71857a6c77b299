"""Runs the example suite, as CI does, with the python3 that has the AWS SDK (a boto3 new enough
to know DataZone). pytest comes from that interpreter if it has one, else from Debian's
python3-pytest (scripts/setup.sh installs it), whose folder goes last on the path so that the
interpreter's own packages win. The plugin is loaded from ../datazone_mock_pytest.py."""

import os
import sys

try:
    import pytest
except ImportError:
    sys.path.append("/usr/lib/python3/dist-packages")
    import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

sys.exit(pytest.main(["-p", "datazone_mock_pytest", "-p", "no:cacheprovider", "-q", HERE,
                      *sys.argv[1:]]))
