"""The one rules engine: rule sets over typed facts, explained one subject at a time and run set-based."""
