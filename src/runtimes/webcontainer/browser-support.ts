/**
 * Can this browser run WebContainer? Checked before booting, so a learner on an unsupported
 * browser gets a clear message instead of a boot that hangs. The levels follow WebContainer's
 * browser-support guide: Chromium-based browsers fully; Firefox and Safari 16.4+ "may work"
 * (alpha/beta there); older Safari not at all. On iOS every browser is Safari underneath, and
 * booting right after a tap keeps memory-hungry work tied to a user gesture (TutorialKit's
 * on-demand boot), so the panel waits for a click there.
 */

export type SupportLevel = 'full' | 'may-work' | 'unsupported';

export interface BrowserSupport {
  level: SupportLevel;
  /** Boot only after the learner clicks (iOS). */
  bootOnClick: boolean;
  /** Shown to the learner when level is not "full". */
  message?: string;
}

export function checkBrowserSupport(userAgent: string, features: { sharedArrayBuffer: boolean; crossOriginIsolated: boolean }): BrowserSupport {
  const ios = /\b(iPhone|iPad|iPod)\b/.test(userAgent) || (/\bMacintosh\b/.test(userAgent) && /\bMobile\//.test(userAgent));
  const chromium = /\b(Chrome|Chromium|CriOS|Edg)\//.test(userAgent) && !ios;
  const firefox = /\bFirefox\//.test(userAgent);
  const safari = /\bVersion\/(\d+)(?:\.(\d+))?.*\bSafari\//.exec(userAgent);
  const bootOnClick = ios;
  if (!features.sharedArrayBuffer) {
    return {
      level: 'unsupported',
      bootOnClick,
      message: features.crossOriginIsolated
        ? 'This browser does not offer SharedArrayBuffer, which the in-browser lab needs.'
        : 'This page is not cross-origin isolated (the COOP/COEP headers are missing), so the in-browser lab cannot start.',
    };
  }
  if (chromium) return { level: 'full', bootOnClick };
  if (firefox) return { level: 'may-work', bootOnClick, message: 'The in-browser lab is fully supported in Chromium-based browsers (Chrome, Edge); in Firefox it may work.' };
  if (safari || ios) {
    const major = Number(safari?.[1] ?? 0);
    const minor = Number(safari?.[2] ?? 0);
    if (safari && (major < 16 || (major === 16 && minor < 4))) {
      return { level: 'unsupported', bootOnClick, message: 'The in-browser lab needs Safari 16.4 or newer, or a Chromium-based browser (Chrome, Edge).' };
    }
    return { level: 'may-work', bootOnClick, message: 'The in-browser lab is fully supported in Chromium-based browsers (Chrome, Edge); in Safari it may work.' };
  }
  return { level: 'may-work', bootOnClick, message: 'The in-browser lab is tested in Chromium-based browsers (Chrome, Edge); in this browser it may work.' };
}

export function checkThisBrowser(): BrowserSupport {
  return checkBrowserSupport(navigator.userAgent, {
    sharedArrayBuffer: typeof SharedArrayBuffer !== 'undefined',
    crossOriginIsolated: typeof crossOriginIsolated === 'undefined' ? true : crossOriginIsolated,
  });
}
