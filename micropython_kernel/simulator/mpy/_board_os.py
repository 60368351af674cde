# Empty: _boot.py fills this module object as the board's os (see _board_module there).
