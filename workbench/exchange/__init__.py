"""Exchange formats: backups, spreadsheets, StratML and ArchiMate files."""
