import { keywordIntent } from './unsubscribe-keywords';

describe('keywordIntent', () => {
  it.each([
    'STOP',
    'stop',
    ' Stop \n',
    'STOPALL',
    'Unsubscribe',
    'cancel',
    'End',
    'quit',
    'BAJA',
    'alto',
    'ARRET',
    'arrêt',
    'ARRÊT',
    'arre\u0302t',
    'Stopp',
    'стоп',
    'СТОП',
    'Отписаться',
  ])('%j stops', (text) => {
    expect(keywordIntent(text)).toBe('stop');
  });

  it.each(['START', 'start ', 'Unstop', 'yes', 'ALTA', 'altá'])('%j starts again', (text) => {
    expect(keywordIntent(text)).toBe('start');
  });

  it.each(['stop it', 'please stop', 'thanks', '', 'dar de baja', 'yes please', 'STOPPED', 'стопка'])('%j is no keyword', (text) => {
    expect(keywordIntent(text)).toBeNull();
  });
});
