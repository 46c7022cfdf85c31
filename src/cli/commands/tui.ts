import type { Command } from 'commander';

// Placeholder until the command lands.
export const register = (program: Command): void => {
  void program;
};
