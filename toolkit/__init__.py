"""war-claims toolkit: validate, diff and release the war-claims data package.

The library API returns plain objects (Report, PackageDiff); the `claims` CLI only renders them.
"""

from .errors import ToolkitError, UsageError
from .problems import Problem, Report
from .validate import validate_package

__all__ = ["Problem", "Report", "ToolkitError", "UsageError", "validate_package"]
__version__ = "0.1.0"
