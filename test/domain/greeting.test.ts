import { describe, expect, it } from 'vitest';
import { returningGreeting } from '../../src/domain/greeting.js';

describe('returningGreeting', () => {
  it('gives officials and admins their commands, whatever their own business', () => {
    expect(returningGreeting('official', undefined)).toBe('official');
    expect(returningGreeting('admin', { hasBusiness: true, activeProducts: 3 })).toBe('official');
  });

  it('tells an exporter the next step: register, add a product, or welcome back', () => {
    expect(returningGreeting('exporter', undefined)).toBe('noBusiness');
    expect(returningGreeting('exporter', { hasBusiness: false, activeProducts: 0 })).toBe('noBusiness');
    expect(returningGreeting('exporter', { hasBusiness: true, activeProducts: 0 })).toBe('noProducts');
    expect(returningGreeting('exporter', { hasBusiness: true, activeProducts: 1 })).toBe('welcomeBack');
  });
});
