"""Community digital technology teams (tổ công nghệ số cộng đồng)."""
