"""The package version, apart from evalsoc/__init__.py so that modules can read it without
importing the package facade (which imports the pipeline lazily)."""

__version__ = "0.1.0"
