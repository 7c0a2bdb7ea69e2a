/**
 * Word lists for fake people and toys. Parents get invented adult names; children only get
 * pet-style nicknames, never a real child's name (CONTRIBUTING: all data is fake).
 */
export const FIRST_NAMES = ['Alex', 'Sam', 'Jordan', 'Taylor', 'Chris', 'Pat', 'Morgan', 'Casey', 'Jamie', 'Robin', 'Drew', 'Jesse', 'Riley', 'Quinn', 'Avery', 'Dana', 'Kim', 'Lee', 'Noor', 'Ana', 'Mika', 'Toni', 'Sasha', 'Remi'] as const;
export const LAST_NAMES = ['Rivera', 'Walker', 'Chen', 'Novak', 'Okafor', 'Larsen', 'Duarte', 'Kowalski', 'Haddad', 'Moreau', 'Schmidt', 'Tanaka', 'Byrne', 'Silva', 'Popescu', 'Nguyen', 'Fischer', 'Murphy', 'Costa', 'Ionescu'] as const;
export const CHILD_NICKNAMES = ['Sprout', 'Bean', 'Pumpkin', 'Peanut', 'Cupcake', 'Tiger', 'Button', 'Pickle', 'Muffin', 'Bubbles', 'Sunbeam', 'Biscuit', 'Pebble', 'Squirrel', 'Cookie', 'Ladybug'] as const;
/** The CloudPets range: Bentley the Bear, Sweet Bunny, a cat, a dog and a unicorn. */
export const TOY_TYPES = ['bear', 'bunny', 'cat', 'dog', 'unicorn'] as const;
export const TOY_NAMES = ['Mr Snuggles', 'Fluffy', 'Captain Cuddles', 'Bentley', 'Sweetie', 'Marshmallow', 'Sir Hops', 'Whiskers', 'Rainbow', 'Patch', 'Honey', 'Sparkle'] as const;
export const EMAIL_DOMAINS = ['example.com', 'example.com', 'example.com', 'example.net', 'example.org', 'mail.test'] as const;
