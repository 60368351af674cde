"""nbgrader settings for a course taught with the MicroPython kernel (run nbgrader in this folder).

Every submission is graded on a known board: a fresh simulated flash and seeded signals, so one
submission graded twice gets the same grade. Runaway student code (an endless loop, a Timer callback
that waits for ever, input(), a deep sleep) is interrupted after ``Execute.timeout`` seconds a cell; a
crash (sys.exit(), machine.reset(), a MemoryError) is an error in that cell and the next cells go on.
"""

import os

c = get_config()  # noqa: F821 (nbgrader provides it)

c.CourseDirectory.course_id = "microcontrollers-101"
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))

# The kernel the notebooks name (kernelspec "micropython") runs every cell, graded or not.
# What generate_assignment puts in place of a solution: notebooks saved by JupyterLab name their
# kernelspec's language "python"; a notebook written by other tools may say "micropython".
STUB = "# YOUR CODE HERE\nraise NotImplementedError()"
c.ClearSolutions.code_stub = {"python": STUB, "micropython": STUB}

# Seconds a cell may run before the grader interrupts it (KeyboardInterrupt on the board) and goes on.
# The slowest test cell here samples the LED for 2.6 s; the rest is room for a loaded grading machine.
c.Execute.timeout = 15
c.Execute.interrupt_on_timeout = True
# After that interrupt nbclient waits this long for the cell to end before it gives up on the whole
# notebook (its default, 4 s, is shorter than the kernel's own escalation: a second SIGINT after 1.5 s,
# a fresh VM after 4 s).
c.Execute.iopub_timeout = 30

# A known board for every submission (these reach the kernel through the grader's environment):
# a fresh flash that the kernel deletes afterwards (or a path to the teacher's flash image, copied for
# each submission and never written back), and one seed for noise, random walks and `random`.
os.environ.setdefault("MICROPYTHON_KERNEL_FLASH", "clean")
os.environ.setdefault("MICROPYTHON_KERNEL_SEED", "101")
