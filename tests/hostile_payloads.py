"""Strings that try to run script, load something or break out of their context in a page.

Each one must reach the map's popups (and titles, legends, layer labels) as the very text
it is, never as markup. Used by tests/test_map_browser.py (one map holding all of them)
and tests/test_render.py. Written for this project; they follow the well-known shapes
of HTML/JS injection: tags and event handlers, dangerous URL schemes, JS string and
template breakouts, parser differentials (mXSS), entity and Unicode tricks.
"""
from __future__ import annotations

PAYLOADS: list[str] = [
    # tags and event handlers
    "<script>window.__pwned=1</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    '<img src=x onerror="window.__pwned=2">',
    "<img src=x onerror=alert(1)//",
    '<svg onload="window.__pwned=3">',
    "<svg><script>window.__pwned=4</script></svg>",
    '<iframe src="javascript:window.__pwned=5"></iframe>',
    '<body onload="window.__pwned=6">',
    '<details open ontoggle="window.__pwned=7">',
    '<input autofocus onfocus="window.__pwned=8">',
    '<video><source onerror="window.__pwned=9"></video>',
    '<a href="javascript:window.__pwned=10">click</a>',
    '<form action="javascript:window.__pwned=11"><button>go</button></form>',
    '<object data="data:text/html,<script>window.__pwned=12</script>"></object>',
    '<embed src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<base href="https://evil.example/">',
    '<style>@import "https://evil.example/x.css";</style>',
    '<div style="background:url(https://evil.example/x.png)">bg</div>',
    "<marquee onstart=alert(1)>m</marquee>",
    '<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned=13">',
    # mXSS and parser differentials
    '<svg><style><img src=x onerror="window.__pwned=14"></style></svg>',
    '<noscript><p title="</noscript><img src=x onerror=window.__pwned=15>">',
    '<template><img src=x onerror="window.__pwned=16"></template>',
    '<textarea></textarea><img src=x onerror="window.__pwned=17">',
    '<title></title><img src=x onerror="window.__pwned=18">',
    '"><img src=x onerror="window.__pwned=19">',
    "'><svg onload=window.__pwned=20>",
    '<!--<img src="--><img src=x onerror=window.__pwned=21//">',
    # breaking out of the page's <script> and JSON
    "</script><script>window.__pwned=22</script>",
    "</SCRIPT ><script>window.__pwned=23</script>",
    "<!--<script>",
    "<!-- </script> -->",
    '"]}]</script><script>window.__pwned=24</script>',
    '\\"};window.__pwned=25;//',
    "'; window.__pwned=26; '",
    '"; window.__pwned=27; "',
    "${window.__pwned=28}",
    "`+(window.__pwned=29)+`",
    "\\u003cscript\\u003ewindow.__pwned=30\\u003c/script\\u003e",
    "back\\slash \\ and \\\\ double \\x3c",
    # entities and Unicode
    "&lt;script&gt;window.__pwned=31&lt;/script&gt;",
    "&#60;img src=x onerror=window.__pwned=32&#62;",
    "&amp;&quot;&apos;&nbsp;&",
    "line\u2028separator and paragraph\u2029separator",
    "right-to-left \u202eoverride\u202c and zero\u200bwidth",
    "nul\x00byte and control \x01\x1f chars",
    "\ufeffbyte order mark and \ufffd replacement",
    "emoji \U0001F4A3 and astral \U0001D54F",
    # URLs (as source addresses, shown as text when not http(s))
    "javascript:window.__pwned=33",
    " JaVaScRiPt:window.__pwned=34",
    "java\tscript:window.__pwned=35",
    "data:text/html,<script>window.__pwned=36</script>",
    "vbscript:msgbox(1)",
    "//evil.example/path",
    'https://evil.example/"><script>window.__pwned=37</script>',
    "https://example.org/?q=<img src=x onerror=window.__pwned=38>",
    # templating
    "{{constructor.constructor('window.__pwned=39')()}}",
    "{% raw %}{{ 7*7 }}{% endraw %}",
    "%(name)s {0} {name}",
]

assert len(PAYLOADS) >= 50 and len(set(PAYLOADS)) == len(PAYLOADS)
