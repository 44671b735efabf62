// Browser entry point: registers the elements; <rl-app> in index.html does the rest.
import './elements/rl-app.js';
