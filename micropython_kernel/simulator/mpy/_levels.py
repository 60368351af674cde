# How one number driven by the host reads on a pin: the only statement of this rule, for both ends.
# The VM's machine and microbit modules import it; the host (simulator/inputs.py) loads this same file,
# so the board panel shows the level the code will read. Plain Python that MicroPython and CPython share.
#
# A pin's input is a logic level (0..1) or, above 1, an ADC value on the read_u16 scale (0..65535).


def level(value):
    """The logic level (0 or 1) that a pin driven with ``value`` reads."""
    if value <= 1:
        return 1 if value >= 0.5 else 0
    return 1 if value >= 32768 else 0


def u16(value):
    """The read_u16 reading (0..65535) of a pin driven with ``value``."""
    if value <= 1:
        return int(value * 65535)
    return 65535 if value > 65535 else int(value)
