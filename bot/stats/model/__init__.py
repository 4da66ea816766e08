"""What the /stats chart and the /map picture show, computed from facts: plain Python, no Discord."""
