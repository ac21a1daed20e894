CREATE TABLE `auth_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `auth_sessions_user_idx` ON `auth_sessions` (`user_id`);--> statement-breakpoint
-- Hand-added: every live refresh-token family becomes a session, so nobody is signed out by this migration.
INSERT INTO `auth_sessions` (`id`, `user_id`, `created_at`) SELECT `family_id`, `user_id`, MIN(`created_at`) FROM `refresh_tokens` WHERE `revoked` = 0 GROUP BY `family_id`;--> statement-breakpoint
CREATE TABLE `one_time_codes` (
	`user_id` text NOT NULL,
	`purpose` text NOT NULL,
	`code_hash` text NOT NULL,
	`expires_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `purpose`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
DROP TABLE `password_resets`;--> statement-breakpoint
ALTER TABLE `refresh_tokens` ADD `replaced_by` text;--> statement-breakpoint
ALTER TABLE `users` ADD `email_verified_at` text;