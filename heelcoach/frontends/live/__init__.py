"""A live session in real time: the runner, the terminal keys, the view and the sound."""
