"""Each built-in pack as loading its shipped file gives it: see shipped.py.

Written by `python -m reflect.packs.shipped`; not to be edited by hand.
"""

from typing import Any

# The SHA-256 of a built-in pack file as shipped: the fields validating it set.
DEFINED: dict[str, dict[str, Any]] = {
    "004ad74b2fd8e0e003c291cec708ba2f979fcc1879629b598a0b7ef9e462b4d3": {
        "format": 1,
        "id": "co-creator",
        "name": "Co-create a shared purpose",
        "version": "1.0.0",
        "description": "Build a purpose the team owns together: link each person's purpose to the team's, listen before you defend, and balance making your case with asking about theirs.",
        "author": "reflect",
        "schedule": {
            "per_day": 2,
        },
        "prompts": [
            {
                "id": "linked-purpose",
                "text": "Did you help someone see how their own purpose connects to the team's today?",
                "follow_up": {
                    "when": "yes",
                    "text": "Whose purpose was it, and what was the link?",
                },
                "type": "yes-no",
            },
            {
                "id": "criticism-first-move",
                "text": "When you were criticised today, what did you do first?",
                "follow_up": {
                    "when": "explained or defended",
                    "text": "What was the criticism trying to tell you?",
                },
                "tags": [
                    "feedback",
                ],
                "type": "choice",
                "choices": [
                    "listened to the end",
                    "asked a question",
                    "explained or defended",
                    "wasn't criticised",
                ],
            },
            {
                "id": "noticed-reactions",
                "text": "In your hardest conversation today, when did you notice your own reactions?",
                "follow_up": {
                    "when": "as they happened",
                    "text": "What did you notice, and what did you do with it?",
                },
                "type": "choice",
                "choices": [
                    "as they happened",
                    "afterwards",
                    "didn't notice",
                    "no hard conversation",
                ],
            },
            {
                "id": "advocacy-inquiry",
                "text": "In today's discussions, how did you balance stating your view with asking about others'? (1 = all telling, 3 = balanced, 5 = all asking)",
                "follow_up": {
                    "when": "<= 2",
                    "text": "What question could you have asked instead of making one more point?",
                },
                "type": "scale",
                "min": 1,
                "max": 5,
                "target": 3,
            },
            {
                "id": "open-question",
                "text": "Did you ask someone a question today that you didn't already know the answer to?",
                "type": "yes-no",
            },
            {
                "id": "imagined-their-day",
                "text": "Did you take a minute today to imagine a colleague's day as they live it?",
                "follow_up": {
                    "when": "yes",
                    "text": "Whose day was it, and what did you see from there that you hadn't before?",
                },
                "type": "yes-no",
            },
            {
                "id": "reflected-back",
                "text": "Did someone reflect back to you today where your behaviour and your intentions didn't match?",
                "follow_up": {
                    "when": "yes",
                    "text": "What did they see, and how did you take it?",
                },
                "tags": [
                    "feedback",
                ],
                "type": "yes-no",
            },
            {
                "id": "invited-reflection",
                "text": "Did you ask someone how your actions are landing with them?",
                "follow_up": {
                    "when": "yes",
                    "text": "What did you hear that surprised you?",
                },
                "tags": [
                    "feedback",
                ],
                "type": "yes-no",
            },
            {
                "id": "shared-responsibility",
                "text": "For today's most important decision, how much did others own the outcome, not just agree to it? (1 = just buy-in, 5 = fully shared)",
                "follow_up": {
                    "when": "<= 2",
                    "text": "What would help them own the outcome, not just the decision?",
                },
                "type": "scale",
                "min": 1,
                "max": 5,
                "target": 4,
            },
            {
                "id": "purpose-to-explore",
                "text": "Whose purpose would you like to understand better, and what will you ask them?",
                "type": "text",
            },
        ],
    },
    "ea6ee8339e4d975c7bdadcc6812897b4f15ec5cf6c84b275679daf70d3688468": {
        "format": 1,
        "id": "collaboration",
        "name": "Collaboration that lasts",
        "version": "1.0.0",
        "description": "Follow your commitments to collaborate past the first good meeting. Notice which ones became action, which quietly dropped when urgent work arrived, and what got in the way.",
        "author": "reflect",
        "schedule": {
            "per_day": 2,
        },
        "prompts": [
            {
                "id": "made-commitment",
                "text": "Did you commit to working with someone on something today?",
                "follow_up": {
                    "when": "yes",
                    "text": "With whom, and what is the first concrete step?",
                },
                "type": "yes-no",
            },
            {
                "id": "commitment-status",
                "text": "Think of your most recent commitment to collaborate: where does it stand?",
                "follow_up": {
                    "when": "quietly dropped",
                    "text": "What pushed it aside, and is it worth reviving?",
                },
                "type": "choice",
                "choices": [
                    "became action",
                    "still planned",
                    "quietly dropped",
                    "no open commitments",
                ],
            },
            {
                "id": "urgent-pushed-aside",
                "text": "Did urgent work push a collaboration aside today?",
                "follow_up": {
                    "when": "yes",
                    "text": "What would it take to protect a little time for it tomorrow?",
                },
                "type": "yes-no",
            },
            {
                "id": "what-got-in-the-way",
                "text": "What got most in the way of working with others today?",
                "type": "choice",
                "choices": [
                    "urgent work",
                    "unclear ownership",
                    "different priorities",
                    "no time to meet",
                    "hard to reach people",
                    "nothing did",
                ],
            },
            {
                "id": "momentum",
                "text": "How much momentum does your most promising collaboration have right now? (1 = stalled, 5 = moving on its own)",
                "follow_up": {
                    "when": "<= 2",
                    "text": "What small next step would get it moving again?",
                },
                "type": "scale",
                "min": 1,
                "max": 5,
                "target": 4,
            },
            {
                "id": "followed-up",
                "text": "Did you follow up today on something that started well with someone?",
                "type": "yes-no",
            },
            {
                "id": "connected-existing",
                "text": "Did you connect your work with something others already do, instead of starting alongside it?",
                "follow_up": {
                    "when": "yes",
                    "text": "Whose work was it, and what did joining it make possible?",
                },
                "type": "yes-no",
            },
            {
                "id": "checked-who-else",
                "text": "Before starting something new today, did you check who might already be doing it?",
                "type": "yes-no",
            },
            {
                "id": "keep-alive",
                "text": "Which collaboration do you most want to keep alive this week, and what will you do for it?",
                "type": "text",
            },
        ],
    },
    "88756290940beee68b29111e69e5158e529df03f14a824bd78908a540d0c0703": {
        "format": 1,
        "id": "daily",
        "name": "Daily check-in",
        "version": "1.0.0",
        "description": "A short check-in every day: mood, energy and one line of gratitude.",
        "author": "reflect",
        "schedule": {
            "per_day": 0,
        },
        "prompts": [
            {
                "id": "mood",
                "text": "How is your mood right now? (1 = low, 5 = great)",
                "pin": True,
                "follow_up": {
                    "when": "<= 2",
                    "text": "What is weighing on you?",
                },
                "type": "scale",
                "min": 1,
                "max": 5,
            },
            {
                "id": "energy",
                "text": "How is your energy right now? (1 = drained, 5 = full)",
                "pin": True,
                "type": "scale",
                "min": 1,
                "max": 5,
            },
            {
                "id": "gratitude",
                "text": "Write one line of gratitude: what are you glad of today?",
                "pin": True,
                "type": "text",
            },
        ],
    },
    "ee99a008b21df2fdc3ab3723710715ec57041ad3734e8e0c3b0968a2d4033875": {
        "format": 1,
        "id": "growth-mindset",
        "name": "When you succeed, I succeed",
        "version": "1.0.0",
        "description": "Notice whether other people's success inspires you or threatens you, and whether you act from scarcity or from enough. Try what you can't do yet, share freely, and build on what already exists.",
        "author": "reflect",
        "schedule": {
            "per_day": 2,
        },
        "prompts": [
            {
                "id": "threatened-by-success",
                "text": "Did someone's success feel threatening today?",
                "follow_up": {
                    "when": "yes",
                    "text": "Whose success was it, and what might it make possible for you too?",
                },
                "type": "yes-no",
            },
            {
                "id": "inspired-by-success",
                "text": "Did someone else's success inspire you or teach you something today?",
                "follow_up": {
                    "when": "yes",
                    "text": "Whose was it, and what will you borrow from it?",
                },
                "type": "yes-no",
            },
            {
                "id": "tried-not-yet",
                "text": "Did you try something today that you can't do well yet?",
                "follow_up": {
                    "when": "yes",
                    "text": "What did you try, and what did the attempt teach you?",
                },
                "type": "yes-no",
            },
            {
                "id": "shared-openly",
                "text": "Did you share an idea or a piece of work today before it felt finished?",
                "follow_up": {
                    "when": "yes",
                    "text": "What did you share, and what came back?",
                },
                "type": "yes-no",
            },
            {
                "id": "idea-adopted",
                "text": "When someone used or built on one of your ideas today, how did it feel?",
                "follow_up": {
                    "when": "stung",
                    "text": "What would change if you saw it as your idea spreading?",
                },
                "type": "choice",
                "choices": [
                    "glad",
                    "mixed",
                    "stung",
                    "didn't happen",
                ],
            },
            {
                "id": "took-my-idea",
                "text": 'Did you feel a "they took my idea" pang today?',
                "follow_up": {
                    "when": "yes",
                    "text": "What set it off, and what would help the idea most now?",
                },
                "type": "yes-no",
            },
            {
                "id": "build-or-start",
                "text": "When you needed something new today, what did you do first?",
                "follow_up": {
                    "when": "started my own",
                    "text": "Was there something out there you could have joined or extended?",
                },
                "type": "choice",
                "choices": [
                    "built on what exists",
                    "joined someone already doing it",
                    "started my own",
                    "didn't come up",
                ],
            },
            {
                "id": "positive-intent",
                "text": "When someone surprised or annoyed you today, how readily did you assume they meant well? (1 = not at all, 5 = fully)",
                "follow_up": {
                    "when": "<= 2",
                    "text": "Which moment was it, and what is a generous reading of what they meant?",
                },
                "type": "scale",
                "min": 1,
                "max": 5,
                "target": 4,
            },
            {
                "id": "ignored-hoping",
                "text": "Did you ignore something today in the hope it would go away?",
                "follow_up": {
                    "when": "yes",
                    "text": "What is it, and what is one small step toward facing it?",
                },
                "type": "yes-no",
            },
            {
                "id": "scarcity-or-enough",
                "text": "Did you act more from scarcity or from enough today? (1 = scarcity, 5 = enough)",
                "follow_up": {
                    "when": "<= 2",
                    "text": "What felt scarce, and is there really too little of it?",
                },
                "type": "scale",
                "min": 1,
                "max": 5,
                "target": 4,
            },
            {
                "id": "cant-do-yet",
                "text": "What is one thing you can't do yet that you would like to learn?",
                "type": "text",
            },
        ],
    },
    "1e67f4d06bb7915937698d0726803d07b742339b662127bc1a39e6226542a6f6": {
        "format": 1,
        "id": "partnership",
        "name": "Partner when we should",
        "version": "1.0.0",
        "description": "Partner when we should, manage when I must: roughly 70% partnering and 30% managing. Notice when you trust, align and share accountability, and when managing is what the moment needs.",
        "author": "reflect",
        "schedule": {
            "per_day": 2,
        },
        "prompts": [
            {
                "id": "partner-share",
                "text": "Roughly what share of today did you spend partnering rather than managing?",
                "pin": True,
                "tags": [
                    "team",
                ],
                "type": "scale",
                "min": 0,
                "max": 100,
                "step": 10,
                "unit": "%",
                "target": 70,
            },
            {
                "id": "trusted-competence",
                "text": "Did you trust a colleague's competence with something that mattered?",
                "follow_up": {
                    "when": "yes",
                    "text": "What did you hand over, and how did it go?",
                },
                "type": "yes-no",
            },
            {
                "id": "told-good-at",
                "text": "Did you tell someone today that they are good at what they do?",
                "follow_up": {
                    "when": "yes",
                    "text": "Who was it, and what did you name?",
                },
                "type": "yes-no",
            },
            {
                "id": "whole-system-first",
                "text": "When something went wrong today, where did you look first?",
                "follow_up": {
                    "when": "a person to blame",
                    "text": "What in the system made that mistake easy to make?",
                },
                "type": "choice",
                "choices": [
                    "the whole system",
                    "a gap in the process",
                    "a person to blame",
                    "nothing went wrong",
                ],
            },
            {
                "id": "shared-understanding",
                "text": "Did you spend time up front today building a shared understanding before work started?",
                "follow_up": {
                    "when": "yes",
                    "text": "What did you align on, and did it save time later?",
                },
                "type": "yes-no",
            },
            {
                "id": "shared-accountability",
                "text": "How shared was accountability in your team's work today? (1 = pockets of individual success, 5 = we owned it together)",
                "follow_up": {
                    "when": "<= 2",
                    "text": "Where did success stay in one person's pocket, and how could it be shared?",
                },
                "tags": [
                    "team",
                ],
                "type": "scale",
                "min": 1,
                "max": 5,
                "target": 4,
            },
            {
                "id": "brought-in-early",
                "text": "Did you bring someone into a decision before it was made, rather than after?",
                "type": "yes-no",
            },
            {
                "id": "managed-instead",
                "text": "Did you direct or decide alone in a moment where partnering would have worked?",
                "follow_up": {
                    "when": "yes",
                    "text": "What would partnering have looked like there?",
                },
                "type": "yes-no",
            },
            {
                "id": "managed-well",
                "text": "When you had to manage today (decide, correct or direct), how did it go?",
                "follow_up": {
                    "when": "later than it should have been",
                    "text": "What made you wait, and when would have been the right moment?",
                },
                "type": "choice",
                "choices": [
                    "timely, fair and consistent",
                    "later than it should have been",
                    "inconsistent or unfair",
                    "no need to manage",
                ],
            },
            {
                "id": "weekly-balance",
                "text": "Looking back over the week: where did managing crowd out partnering?",
                "on": "fri",
                "type": "text",
            },
        ],
    },
    "ed4123b2e16341036df9df7ec39e94df106fd84bab34f40bd26e63d5a490f854": {
        "format": 1,
        "id": "servant-leadership",
        "name": "What can I do for you?",
        "version": "1.0.0",
        "description": "Lead by working for your people's success. Give credit away, learn what success means to each person, and count your impact as the sum of how effective you make others.",
        "author": "reflect",
        "schedule": {
            "per_day": 2,
        },
        "prompts": [
            {
                "id": "what-can-i-do",
                "text": 'Did you ask someone "What can I do for you?" today, and mean it?',
                "follow_up": {
                    "when": "yes",
                    "text": "Who was it, and what did they need?",
                },
                "type": "yes-no",
            },
            {
                "id": "what-for-me",
                "text": 'Did you catch yourself thinking "What are they doing for me?" today?',
                "follow_up": {
                    "when": "yes",
                    "text": "What were you hoping to get, and what could you offer instead?",
                },
                "type": "yes-no",
            },
            {
                "id": "gave-credit",
                "text": "Did you give someone credit in front of others today?",
                "follow_up": {
                    "when": "yes",
                    "text": "Who was it, and what did you credit them for?",
                },
                "tags": [
                    "credit",
                ],
                "type": "yes-no",
            },
            {
                "id": "where-credit-went",
                "text": "When credit came your way today, where did it go?",
                "follow_up": {
                    "when": "kept it",
                    "text": "Who else had a hand in it, and how could they hear that?",
                },
                "tags": [
                    "credit",
                ],
                "type": "choice",
                "choices": [
                    "passed it on",
                    "shared it",
                    "kept it",
                    "didn't come up",
                ],
            },
            {
                "id": "learned-their-success",
                "text": "Did you learn something today about what success means to someone you work with?",
                "follow_up": {
                    "when": "yes",
                    "text": "What does success mean to them? (It is rarely money.)",
                },
                "type": "yes-no",
            },
            {
                "id": "moved-their-success",
                "text": "Did you do something today that moves a colleague closer to their own idea of success?",
                "follow_up": {
                    "when": "yes",
                    "text": "What did you do, and for whom?",
                },
                "type": "yes-no",
            },
            {
                "id": "glad-they-leave",
                "text": "If someone told you today they were leaving for a job that fits them better, how would you honestly feel?",
                "follow_up": {
                    "when": "resentful",
                    "text": "What would you lose, and what would they gain?",
                },
                "type": "choice",
                "choices": [
                    "glad for them",
                    "mixed",
                    "resentful",
                ],
            },
            {
                "id": "made-others-effective",
                "text": "How much more effective did you make someone else today? (1 = not at all, 5 = a lot)",
                "follow_up": {
                    "when": ">= 4",
                    "text": "Who was it, and what made the difference?",
                },
                "type": "scale",
                "min": 1,
                "max": 5,
                "target": 4,
            },
            {
                "id": "people-unblocked",
                "text": "How many people did you unblock or help get something done today?",
                "type": "number",
                "min": 0,
            },
            {
                "id": "whose-success-next",
                "text": "Whose success could you help with tomorrow, and how?",
                "type": "text",
            },
        ],
    },
}
