# Empty: _boot.py fills this module object as the board's sys (see _board_module there).
