"""Pure chart drawing: typed values in, SVG out, for web pages and the storyboard alike.

`svg` is the small drawing layer; `plots` the radar, balance, timeline and trend charts;
`graph` the layered alignment graph; `grid` the interest/influence grid. Nothing here
imports another workbench package.
"""
