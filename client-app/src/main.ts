import { App } from './app';

/** Entry point: the only module with side effects. */
const root = document.getElementById('app');
if (root) {
    void new App(root, window.sessionStorage).start();
}
