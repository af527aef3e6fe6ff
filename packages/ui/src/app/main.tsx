/** Entry point: styles, the router, the app. */
import { render } from 'preact';
import './styles.css';
import { App } from './App.js';
import { startRouter } from './router.js';

startRouter();
render(<App />, document.getElementById('app')!);
