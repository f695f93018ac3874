"""Who acted and with what authority: keys, signatures, signed decisions, approval chains."""
