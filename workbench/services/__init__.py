"""Business rules: the reads and writes features need, callable from web, CLI and tests."""
