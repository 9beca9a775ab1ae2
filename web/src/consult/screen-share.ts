/**
 * Asks the browser for one window to share. The options steer the picker away from the whole
 * screen and from this tab (browsers that do not know an option ignore it).
 */
export async function pickWindowToShare(): Promise<MediaStreamTrack | undefined> {
  const options = {
    video: { displaySurface: 'window' },
    audio: false,
    selfBrowserSurface: 'exclude',
    monitorTypeSurfaces: 'exclude',
  } as DisplayMediaStreamOptions;
  try {
    const stream = await navigator.mediaDevices.getDisplayMedia(options);
    return stream.getVideoTracks()[0];
  } catch {
    // Cancelling the picker is an answer, not an error.
    return undefined;
  }
}

/** Whether the person chose a whole screen after all, which shows everything on it. */
export function sharesWholeScreen(track: MediaStreamTrack): boolean {
  return track.getSettings().displaySurface === 'monitor';
}
