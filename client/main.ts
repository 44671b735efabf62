// Browser entry point: the palette's stylesheet (linked in the page's head by the build),
// the saved theme and the elements; <rl-app> in index.html does the rest.
import 'virtual:palette.css';
import { applySavedTheme } from './lib/theme.js';
import './rl-app.js';

applySavedTheme();
