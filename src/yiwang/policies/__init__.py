"""The technology-policy calculator (科技政策计算器): policies whose conditions are rule sets of the engine."""
