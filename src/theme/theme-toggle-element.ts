import { applyTheme, currentTheme, followSystemTheme } from './theme-store';

/** <theme-toggle>: wraps one button; pressing it switches between light and dark. */
class ThemeToggle extends HTMLElement {
  #button: HTMLButtonElement | null = null;

  connectedCallback(): void {
    this.#button = this.querySelector('[data-theme-button]');
    this.#sync();
    this.#button?.addEventListener('click', () => {
      applyTheme(currentTheme() === 'dark' ? 'light' : 'dark');
      this.#sync();
    });
    followSystemTheme(() => this.#sync());
  }

  #sync(): void {
    this.#button?.setAttribute('aria-pressed', String(currentTheme() === 'dark'));
  }
}

if (!customElements.get('theme-toggle')) customElements.define('theme-toggle', ThemeToggle);
