"""Where the worker finds its models: the bundled ones made at set-up, and those a user installed."""
import os
from pathlib import Path


def bundled_models():
    configured = os.environ.get("VIEWFINDER_BUNDLED_MODELS")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parent.parent.parent / "models"


def installed_models():
    """User-installed models live in the data folder, beside the catalogue."""
    configured = os.environ.get("VIEWFINDER_MODELS")
    if configured:
        return Path(configured)
    data = os.environ.get("VIEWFINDER_DATA")
    if not data:
        base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
        data = os.path.join(base, "viewfinder")
    return Path(data) / "models"
