"""The storyboard renderer: report context (plain data) -> HTML and tagged PDF."""
