"""jianbao (简报): a static site generator for Chinese work bulletins."""

__version__ = "0.1.0"
