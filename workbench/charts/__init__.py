"""Pure chart drawing: typed values in, SVG out, for web pages and the storyboard alike.

`svg` is the small drawing layer (text wrapping between words, axis ticks); `plots` the
radar and balance charts; `roadmap` the initiatives as a Gantt chart with their
dependencies, critical path and today; `trend` a metric's trend with its forecast; `graph`
the alignment graph's nodes and colours and `panels` its one-diagram-per-objective
drawing; `grid` the interest/influence grid. Nothing here imports another workbench
package.
"""
