"""The classroom server: Voila with guards for a class of visitors (:mod:`.app`), a guarded kernel
websocket (:mod:`.guard`) and kernel limits (:mod:`.limits`). Nothing is imported here, so that
importing the package has no cost."""
