"""ipywidgets views of the board. They observe the BoardState model and never touch a transport."""
