"""``python -m explainer.classroom NOTEBOOK [Voila options]``: the classroom server."""

from explainer.classroom.app import main

main()
