# Empty: _boot.py fills this module object as the board's vfs (see _board_module there).
