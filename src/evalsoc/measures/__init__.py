"""Pure computations on arrays and frames: indicators, effects, capabilities, rubrics, SROI."""
