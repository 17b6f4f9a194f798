"""The storyboard: report context, charts and rendering."""
