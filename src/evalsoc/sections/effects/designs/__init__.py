"""One module per effect design; `compute.DESIGNS` names them."""
