"""Pure rules of the accounts app (no Django): client addresses and sign-in throttling."""
