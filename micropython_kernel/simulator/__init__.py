"""The simulated board: the real MicroPython VM (the unix port) hosted by the kernel, no hardware needed."""
