"""The Jupyter side: the kernel, its magics, completion and error mapping."""
