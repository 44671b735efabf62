// Browser entry point: applies the saved theme and registers the elements; <rl-app> in
// index.html does the rest.
import { applySavedTheme } from './lib/theme.js';
import './rl-app.js';

applySavedTheme();
