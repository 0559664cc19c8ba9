"""Package data: the bundled bank-holiday snapshot (generated, do not edit by hand)."""
