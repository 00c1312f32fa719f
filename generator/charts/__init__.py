"""The site's charts, drawn at build time as static SVG in the pages.

Why hand-made SVG rather than a plotting library: the charts are a few rectangles, marks, lines
and labels, and a build draws thousands of them (three on each of 1,000 tool pages, a heat map
of 16,000 cells), so each must cost microseconds; a plotting library that writes SVG
(matplotlib, pygal) takes milliseconds per figure, paints with fixed colours (the site's two
colour schemes need classes the theme's stylesheet can change), and cannot make a mark a link or
give the figure its title and description for screen readers. Here every chart is a
:class:`~generator.charts.svg.Chart`: inline SVG with a title, a description, classes for
colour, shapes for meaning, links where a mark leads somewhere, and the same data as a
collapsed table. No script is needed to see one, and nothing is loaded from another host.

``svg`` draws; ``deadlines`` says how due each date is; ``dashboard`` and ``pages`` make the
charts of the dashboard and of the tool and vendor pages from plain data.
"""
