"""Package data: the built-in policy versions as TOML files."""
