"""The Messages page: compose up to five bubbles, preview them, and see what a send costs before it goes."""
